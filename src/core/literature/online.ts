/**
 * The online literature services in one import: clients, orchestrator, merge, cache and configuration.
 */
export { LiteratureServiceError, RateLimiter, ServiceHttp, defaultRateLimit, serviceLabels, sharedRateLimiter, systemClock } from './http';
export type { Clock, LiteratureErrorKind, OnlineService, ServiceName } from './http';
export type { ClientCommonOptions, ClientSearchOptions, ClientSearchResult, LiteratureClient } from './client';
export { PubmedClient, defaultPubmedBaseUrl, esearchRecordCap } from './pubmedClient';
export { EuropePmcClient, defaultEuropePmcBaseUrl } from './europePmcClient';
export { CrossrefClient, defaultCrossrefBaseUrl } from './crossrefClient';
export { OpenAlexClient, defaultOpenAlexBaseUrl } from './openAlexClient';
export { ZoteroClient, defaultZoteroUrl } from './zoteroClient';
export type { ZoteroOutcome, ZoteroPick } from './zoteroClient';
export { DiskCache, MemoryCache } from './cache';
export type { ResponseCache } from './cache';
export { mergeRecords, identifierKeys } from './merge';
export { keywordQuery, extractKeywords, stripCitationMarkup } from './keywordQuery';
export { searchOnline, isSearchFailure, queriesFor } from './searchOnline';
export type { OnlineQuery, OnlineSearchEvent, OnlineSearchFailure, OnlineSearchResults, SearchOnlineOptions } from './searchOnline';
export { createLiteratureClients, defaultLiteratureConfig, literatureCacheDirFromEnv, literatureConfigFromEnv } from './config';
export type { LiteratureConfig } from './config';
