/**
 * The real clients behind {@link ReferenceServices}, from the literature configuration.
 */
import { ArxivClient, defaultArxivBaseUrl } from '../literature/arxivClient';
import type { ClientCommonOptions } from '../literature/client';
import type { LiteratureConfig } from '../literature/config';
import { CrossrefClient } from '../literature/crossrefClient';
import { EuropePmcClient } from '../literature/europePmcClient';
import { OpenAlexClient } from '../literature/openAlexClient';
import { PubmedClient } from '../literature/pubmedClient';
import type { ReferenceServices } from './audit';

/**
 * One client per service the audit asks.
 * @param config Base URLs, keys and contact.
 * @param arxivBaseUrl The arXiv API base URL (optional; default: {@link defaultArxivBaseUrl}).
 * @param common Transport, cache and logger shared by every client (optional).
 */
export function createReferenceServices(config: LiteratureConfig, arxivBaseUrl: string = defaultArxivBaseUrl, common: ClientCommonOptions = {}): ReferenceServices {
  return {
    crossref: new CrossrefClient({ ...common, baseUrl: config.crossref.baseUrl, mailto: config.contactEmail }),
    openalex: new OpenAlexClient({ ...common, baseUrl: config.openalex.baseUrl, apiKey: config.openalex.apiKey, mailto: config.contactEmail }),
    pubmed: new PubmedClient({ ...common, baseUrl: config.pubmed.baseUrl, apiKey: config.pubmed.apiKey, email: config.contactEmail }),
    europepmc: new EuropePmcClient({ ...common, baseUrl: config.europepmc.baseUrl, email: config.contactEmail }),
    arxiv: new ArxivClient({ ...common, baseUrl: arxivBaseUrl }),
  };
}
