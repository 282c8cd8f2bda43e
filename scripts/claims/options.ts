/**
 * The training options of the shipped claims model, shared by `npm run train:claims`, the
 * evaluation and the experiments.
 */
import type { TrainOptions } from './logistic';

/** The hyper-parameters of the shipped model (chosen by leave-one-manuscript-out). */
export const TRAIN_OPTIONS: TrainOptions = {
  features: { hashBits: 14, bigrams: true, headingWords: false, neighbourWords: false },
  l2Hashed: 1e-2,
  l2Named: 3e-3,
  docBalance: 0.5,
  pmcWeight: 1,
  classBalance: 1,
  epochs: 150,
  learningRate: 0.05,
  // Prior means for signals known to matter (the data moves them; rare ones keep an effect).
  priors: {
    priorWork: 0.8,
    etAl: 0.8,
    presentPerfect: 0.6,
    prevalence: 0.6,
    superlative: 0.5,
    comparative: 0.2,
    figureRef: -1,
    statistics: -0.8,
    firstPerson: -0.6,
    weStart: -0.4,
    ownAction: -0.4,
    methodVerb: -0.4,
    thisWork: -0.4,
    'section:introduction': 0.3,
    'section:background': 0.3,
    'section:methods': -0.5,
    'section:results': -0.5,
    'section:abstract': -0.5,
  },
};


/** What differs for the language-independent (named features only) model. */
export const LANGUAGE_INDEPENDENT_OPTIONS: Partial<TrainOptions> = {
  l2Named: 1e-2,
};
