// Database administration for the scripts (runs after npm packages exist).
export async function withAdminClient(databaseUrl, work) {
  const { default: pg } = await import('pg');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseName(databaseUrl) {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}

const quote = (identifier) => `"${identifier.replace(/"/g, '""')}"`;

export async function ensureDatabase(databaseUrl) {
  const name = databaseName(databaseUrl);
  await withAdminClient(databaseUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${quote(name)}`);
  });
}

export async function recreateDatabase(databaseUrl) {
  const name = databaseName(databaseUrl);
  await withAdminClient(databaseUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quote(name)}`);
  });
}
