import { z } from 'zod';
import { parseProcessingFeeModel } from '../ledger/fee-model.js';
import { isCurrency } from '../money/currencies.js';

/**
 * Every environment variable the backend reads, in one place.
 * The README's configuration table is checked against this list by a test,
 * so a variable cannot be added without being documented.
 */
export interface VariableSpec {
  name: string;
  description: string;
  /** Shown in the README; `undefined` means the variable is required. */
  default?: string;
  schema: z.ZodType;
  /** A secret whose default is for demo and test only: production refuses it (see AppConfig). */
  demoSecret?: true;
}

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be an integer').positive('must be > 0');

const hasProtocol = (value: string, protocols: string[]) => {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

const urlWithProtocols = (protocols: string[], example: string) =>
  z
    .string({ error: `is required (for example ${example})` })
    .min(1, `is required (for example ${example})`)
    .refine((value) => hasProtocol(value, protocols), `must be a ${protocols.join(' or ')} URL, for example ${example}`);

/** Empty (the feature is off) or a URL with one of the protocols. */
const optionalUrlWithProtocols = (protocols: string[], message: string) =>
  z.string().refine((value) => value === '' || hasProtocol(value, protocols), message);

const byteSize = z.string().regex(/^\d+(b|kb|mb|gb)$/i, 'must be a size such as 512kb, 1mb or 2gb');

/** `USD:50000,EUR:50000` → { USD: 50000, EUR: 50000 }: minor units per ISO currency. */
const amountsPerCurrency = z.string().transform((value, ctx) => {
  const thresholds: Record<string, number> = {};
  for (const entry of value.split(',').map((part) => part.trim())) {
    const match = /^([A-Z]{3}):(\d{1,15})$/.exec(entry);
    if (!match || !isCurrency(match[1]!) || match[1]! in thresholds) {
      ctx.addIssue({
        code: 'custom',
        message: `must be CURRENCY:minor-units pairs, each currency once, for example USD:50000,JPY:5000000 (not "${entry}")`,
      });
      return z.NEVER;
    }
    thresholds[match[1]!] = Number(match[2]);
  }
  return thresholds;
});

export const variables = [
  {
    name: 'APP_MODE',
    description: '`production`, `demo` or `test`. Demo mode seeds demo users; production refuses default secrets.',
    default: 'production',
    schema: z.enum(['production', 'demo', 'test'], { error: 'must be one of production, demo, test' }),
  },
  {
    name: 'HOST',
    description: 'Interface the API listens on (`0.0.0.0` inside containers).',
    default: '127.0.0.1',
    schema: z.string().min(1, 'must not be empty'),
  },
  {
    name: 'PORT',
    description: 'HTTP port of the API and the admin UI it serves.',
    default: '3000',
    schema: port,
  },
  {
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL. `npm run demo` and `npm test` set it to their local stack.',
    schema: urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:pass@127.0.0.1:5432/recovery_desk'),
  },
  {
    name: 'DATABASE_POOL_SIZE',
    description: 'Connections per process in the PostgreSQL pool.',
    default: '10',
    schema: positiveInt,
  },
  {
    name: 'REDIS_URL',
    description:
      'Redis URL for the job queues. Redis must run with `maxmemory-policy noeviction` (workers refuse to start otherwise) and should have AOF on.',
    schema: urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  },
  {
    name: 'QUEUE_PREFIX',
    description: 'Prefix of every BullMQ key, so several environments can share one Redis.',
    default: 'rd',
    schema: z.string().regex(/^[a-z0-9_-]{1,32}$/i, 'must be 1-32 letters, digits, - or _'),
  },
  {
    name: 'WORKER_CONCURRENCY',
    description: 'Jobs one worker process runs at once, per queue.',
    default: '5',
    schema: positiveInt,
  },
  {
    name: 'ENGINE_CONCURRENCY',
    description:
      "Chunks of remediation steps (or notices) one worker process runs at once on each provider queue (Stripe, fulfilment, e-mail). A chunk's calls are spaced by the provider's rate limit, so a few are enough to keep the next chunk's slots reserved while one finishes; each chunk needs one database connection at a time.",
    default: '4',
    schema: positiveInt,
  },
  {
    name: 'LOG_LEVEL',
    description: 'Minimum level of the JSON logs: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
    default: 'info',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  },
  {
    name: 'BODY_LIMIT',
    description: 'Largest JSON request body accepted; larger bodies get 413.',
    default: '1mb',
    schema: byteSize,
  },
  {
    name: 'ADMIN_UI_DIR',
    description: 'Folder of the built admin UI served at `/`: `auto` finds `admin-ui/dist` beside the backend, `none` serves the API only.',
    default: 'auto',
    schema: z.string().min(1, 'must be a folder, `auto` or `none`'),
  },
  {
    name: 'SHUTDOWN_TIMEOUT_MS',
    description: 'How long SIGTERM waits for in-flight requests and jobs before the process exits anyway.',
    default: '25000',
    schema: positiveInt,
  },
  {
    name: 'SESSION_SECRET',
    description:
      'Key of the HMAC that stores session tokens and rate-limit keys. In production it must be set to a random value of 32+ characters; the demo default makes the API refuse to start.',
    default: 'demo-only-session-secret-change-me',
    schema: z.string().min(16, 'must be at least 16 characters'),
    demoSecret: true,
  },
  {
    name: 'SESSION_TTL_SECONDS',
    description: 'Lifetime of a sign-in session; after it the user signs in again.',
    default: '28800',
    schema: positiveInt,
  },
  {
    name: 'LOGIN_WINDOW_SECONDS',
    description: 'Window over which failed sign-ins are counted for the rate limits below.',
    default: '900',
    schema: positiveInt,
  },
  {
    name: 'LOGIN_MAX_FAILURES_PER_ACCOUNT',
    description: 'Failed sign-ins on one account within the window before it is locked for the rest of the window (429).',
    default: '5',
    schema: positiveInt,
  },
  {
    name: 'LOGIN_MAX_ATTEMPTS_PER_IP',
    description: 'Sign-in attempts from one IP address within the window before further attempts get 429.',
    default: '30',
    schema: positiveInt,
  },
  {
    name: 'TRUST_PROXY',
    description:
      'Express `trust proxy` setting: `false`, `true`, a hop count or a list of proxy addresses. Set it behind a load balancer so audit rows and rate limits see the client IP.',
    default: 'false',
    schema: z.string().min(1, 'must be false, true, a hop count or addresses'),
  },
  {
    name: 'METRICS_TOKEN',
    description: 'When set, `/metrics` requires `Authorization: Bearer <token>`; when empty, protect it at the network edge.',
    default: '',
    schema: z.string(),
  },
  {
    name: 'PLATFORM_API_KEY',
    description:
      'Bearer key the commerce platform uses for `POST /api/orders` and `POST /api/orders/bulk`. Demo default refused in production.',
    default: 'demo-only-platform-api-key',
    schema: z.string().min(16, 'must be at least 16 characters'),
    demoSecret: true,
  },
  {
    name: 'PLATFORM_WEBHOOK_SECRET',
    description: 'Shared secret of the platform webhook signature (HMAC-SHA256 of `timestamp.body`). Demo default refused in production.',
    default: 'demo-only-platform-webhook-secret',
    schema: z.string().min(16, 'must be at least 16 characters'),
    demoSecret: true,
  },
  {
    name: 'STOREFRONT_API_KEY',
    description:
      'Bearer key the storefront uses for `GET /api/storefront/devices/:id/authorization` before it accepts an order. Demo default refused in production.',
    default: 'demo-only-storefront-api-key',
    schema: z.string().min(16, 'must be at least 16 characters'),
    demoSecret: true,
  },
  {
    name: 'DETECTION_INTERVAL_MINUTES',
    description: 'How often the detection pass runs on its own (a BullMQ repeatable job); it can also be run on demand.',
    default: '5',
    schema: positiveInt,
  },
  {
    name: 'REFUND_APPROVAL_THRESHOLDS',
    description:
      'Refund total per currency, in minor units, above which a remediation run waits for an incident commander who is not the requester (`USD:50000` is USD 500.00). A currency not listed always needs approval.',
    default: 'USD:50000,EUR:50000,GBP:50000,JPY:5000000',
    schema: amountsPerCurrency,
  },
  {
    name: 'INTERCEPT_FEE_ESTIMATES',
    description:
      'Expected carrier fee per intercepted parcel, per currency, in minor units (`USD:1600` is USD 16.00). The fulfilment provider names the fee only when it intercepts, so the dry-run preview shows this estimate (labelled estimated) and the report the fees actually charged beside it. A currency not listed shows no estimate.',
    default: 'USD:1600,EUR:1500,GBP:1400,JPY:2500',
    schema: amountsPerCurrency,
  },
  {
    name: 'INGEST_MAX_BYTES',
    description: 'Largest NDJSON body `POST /api/orders/bulk` accepts (streamed, never held in memory); beyond it: 413.',
    default: '2gb',
    schema: byteSize,
  },
  {
    name: 'CSV_IMPORT_MAX_BYTES',
    description: 'Largest CSV file the UI import accepts (it is parsed in memory for the preview); beyond it: 413.',
    default: '20mb',
    schema: byteSize,
  },
  {
    name: 'STRIPE_SECRET_KEY',
    description: "Stripe secret key (`sk_live_…` or `sk_test_…`). `npm run demo` and `npm test` set it to the local Stripe stand-in's key.",
    default: '',
    schema: z
      .string()
      .refine((v) => v === '' || /^(sk|rk)_(test|live)_\w+$/.test(v), 'must be a Stripe secret or restricted key (sk_… or rk_…)'),
  },
  {
    name: 'STRIPE_API_BASE',
    description: 'Where the Stripe SDK sends requests: Stripe itself, or a Stripe-compatible server such as the local stand-in.',
    default: 'https://api.stripe.com',
    schema: urlWithProtocols(['https:', 'http:'], 'https://api.stripe.com'),
  },
  {
    name: 'STRIPE_RATE_LIMIT_PER_SECOND',
    description:
      "Stripe calls per second the remediation workers make, together (evenly spaced by a schedule held in Redis across every worker process). Keep it a share of Stripe's budget: 25/s in test mode, 100/s live.",
    default: '20',
    schema: positiveInt,
  },
  {
    name: 'STRIPE_WEBHOOK_SECRETS',
    description:
      'Signing secrets (`whsec_…`) of `POST /api/webhooks/stripe`, comma-separated: during a rotation list the new and the old one. Demo default refused in production.',
    default: 'whsec_demo_only_stripe_webhook_secret',
    schema: z
      .string()
      .refine(
        (value) => value.split(',').every((secret) => secret.trim().length >= 16),
        'must be one or more comma-separated secrets of at least 16 characters',
      ),
    demoSecret: true,
  },
  {
    name: 'FULFILMENT_API_BASE',
    description:
      'Base URL of the fulfilment provider API (contract: docs/fulfilment-api.md). `npm run demo` and `npm test` set it to the local stand-in; empty: shipment steps fail with `not_configured`.',
    default: '',
    schema: optionalUrlWithProtocols(['http:', 'https:'], 'must be empty or an http(s) URL, for example https://fulfilment.example.com'),
  },
  {
    name: 'FULFILMENT_API_KEY',
    description: 'Bearer key of the fulfilment provider API. `npm run demo` and `npm test` set it to the local stand-in’s key.',
    default: '',
    schema: z.string(),
  },
  {
    name: 'FULFILMENT_RATE_LIMIT_PER_SECOND',
    description: 'Fulfilment provider calls per second the remediation workers make, together (evenly spaced across every worker process).',
    default: '20',
    schema: positiveInt,
  },
  {
    name: 'SMTP_URL',
    description:
      'Where customer notices are sent (nodemailer URL, e.g. `smtps://user:pass@smtp.example.com:465`). `npm run demo` and `npm test` set it to the local SMTP sink; empty: notices fail with `not_configured`.',
    default: '',
    schema: optionalUrlWithProtocols(['smtp:', 'smtps:'], 'must be empty or an smtp:// or smtps:// URL, for example smtp://127.0.0.1:2525'),
  },
  {
    name: 'SMTP_SINK_URL',
    description:
      'Base URL of a mail sink’s HTTP API (the local SMTP sink: `GET /messages?messageId=`, `GET /messages/:id/html`). When set, the run page’s outbox links each sent notice to the message as the sink received it; `npm run demo` sets it to the local sink. Leave it empty with a real relay.',
    default: '',
    schema: optionalUrlWithProtocols(['http:', 'https:'], 'must be empty or an http(s) URL, for example http://127.0.0.1:12126'),
  },
  {
    name: 'SMTP_FROM',
    description: 'Sender of customer notices (`Name <address>`).',
    default: 'Recovery Desk <no-reply@recovery-desk.local>',
    schema: z.string().min(3, 'must be an address such as Support <support@example.com>'),
  },
  {
    name: 'EMAIL_RATE_LIMIT_PER_SECOND',
    description: 'Customer notices sent per second, across every worker process (most SMTP relays throttle bulk senders).',
    default: '20',
    schema: positiveInt,
  },
  {
    name: 'PROVIDER_FEE_MODEL',
    description:
      'The payment provider’s processing fee per currency, as a percentage of the order total plus fixed minor units (`USD:2.9%+30` is 2.9 % + USD 0.30). The orders carry no fee, so the loss ledger books this as `provider_fee_not_returned` when a payment’s money goes back (refund or chargeback) and reverses it if the money returns. A currency not listed books no fee.',
    default: 'USD:2.9%+30,EUR:1.5%+25,GBP:1.5%+20,JPY:3.6%',
    schema: z.string().transform((value, ctx) => {
      const parsed = parseProcessingFeeModel(value);
      if (parsed.ok) return parsed.model;
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }),
  },
  {
    name: 'DISPUTE_FEES',
    description:
      'Dispute fee per currency in minor units (`USD:1500` is USD 15.00), booked as `dispute_fee` when the provider’s dispute does not state its own fee. A currency not listed books no fee then.',
    default: 'USD:1500,EUR:2000,GBP:2000,JPY:1500',
    schema: amountsPerCurrency,
  },
  {
    name: 'RECONCILIATION_RATE_LIMIT_PER_SECOND',
    description:
      'Stripe list calls per second one ledger reconciliation makes (its own share of the account’s budget, besides `STRIPE_RATE_LIMIT_PER_SECOND` for refunds).',
    default: '5',
    schema: positiveInt,
  },
  {
    name: 'DEMO_ORDERS',
    description: 'How many generated orders (with Stripe payments) the demo seeds into an empty database.',
    default: '1500',
    schema: positiveInt,
  },
] as const satisfies readonly VariableSpec[];

export type VariableName = (typeof variables)[number]['name'];
