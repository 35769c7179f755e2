/** How many rows a dashboard list shows; the counts beside it are always complete. */
export const dashboardTopN = 5;

/** Open incidents on the commander's dashboard (each with its own recovery figures). */
export const dashboardIncidentLimit = 10;
