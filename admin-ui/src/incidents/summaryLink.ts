/**
 * `GET /api/incidents/:id/summary.md` as a plain same-origin link: the
 * session cookie authenticates it and the server names the file
 * (Content-Disposition), so `<a download>` saves it without any script.
 */
export const summaryHref = (id: string) => `/api/incidents/${encodeURIComponent(id)}/summary.md`;
