// npm run stack -- up|down|status|reset [dev|test]
import { rmSync } from 'node:fs';
import { ensureNodeModules, ensureSystemPackages } from './lib/bootstrap.mjs';
import { say } from './lib/run.mjs';
import { stackDown, stackServices, stackStatus, stackUp } from './lib/stack.mjs';

const [command = 'status', name = 'dev'] = process.argv.slice(2);
const usage = 'Usage: npm run stack -- up|down|status|reset [dev|test]';

async function main() {
  switch (command) {
    case 'up': {
      ensureNodeModules();
      ensureSystemPackages([...(process.env.DATABASE_URL ? [] : ['postgresql']), ...(process.env.REDIS_URL ? [] : ['redis'])]);
      const { started, env } = await stackUp(name);
      say(started.length ? `Started: ${started.join(', ')}` : 'Everything was already running.');
      for (const [key, value] of Object.entries(env)) console.log(`${key}=${value}`);
      break;
    }
    case 'down':
      stackDown(name);
      break;
    case 'status':
      for (const service of stackStatus(name)) {
        console.log(
          `${service.running ? '\x1b[32m●\x1b[0m running' : '\x1b[90m○ stopped\x1b[0m'}  ${service.name.padEnd(12)} ${service.url}  (log: ${service.log})`,
        );
      }
      break;
    case 'reset': {
      stackDown(name);
      const { dir, services } = stackServices(name);
      for (const service of services) if (service.home && service.home !== dir) rmSync(service.home, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
      say(`Removed ${dir}`);
      break;
    }
    default:
      console.error(usage);
      process.exit(2);
  }
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
