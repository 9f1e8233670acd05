/** The local STS endpoint (query protocol). */
export { type QueryResponse, queryError, STS_VERSION, StsService } from './service.ts';
