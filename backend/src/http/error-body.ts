/** The one shape of every error the API returns; the admin UI reads `message` and `fields`. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** For 400s: each offending field (dotted path) and what is wrong with it. */
  fields?: { field: string; message: string }[];
  requestId?: string;
}
