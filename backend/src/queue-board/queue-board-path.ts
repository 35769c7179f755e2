/** Where the queue dashboard (Bull Board) is served, behind the session login, for admins. */
export const queueBoardPath = '/admin/queues';
