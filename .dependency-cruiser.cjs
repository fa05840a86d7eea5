// Layer rules: the folders are the architecture, and this file keeps them honest.
//   protocol  wire types shared with the web client; imports nothing of ours
//   core      rooms, members, messages and their rules, plus the ports; no I/O
//   adapters  implement the ports (SQLite, PostgreSQL, Redis, ...)
//   transport HTTP and WebSocket edges; speak to the core only
//   bots      slash commands that bot workers carry out; implement the core's BotCommand
//   bot       the bot worker process (npm run bot), wired like server.ts
//   server.ts / main.ts pick the adapters and wire everything
//   web       the browser client; of the server it sees the protocol's types only
//   clients   a Node client of the WebSocket protocol for tests, bench and scripts; not shipped
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-does-no-io',
      comment: 'The core knows the rules of the chat; it reaches the world only through its ports.',
      severity: 'error',
      from: { path: '^src/(core|protocol)/' },
      to: {
        path: [
          'node_modules/(?!@sinclair/typebox)',
          '^(fs|net|http|https|http2|dgram|child_process|cluster|worker_threads|tls|dns|readline|os)$',
          '^node:(fs|net|http|https|http2|dgram|child_process|cluster|worker_threads|tls|dns|readline|os)',
        ],
      },
    },
    {
      name: 'core-knows-no-edges',
      severity: 'error',
      from: { path: '^src/(core|protocol)/' },
      to: {
        path: '^src/(adapters|transport|config|bots|bot)/|^src/(server|main|open-adapters)\\.ts$',
      },
    },
    {
      name: 'bots-are-commands-only',
      comment: 'A command needs its settings and the core types, nothing of the chat server.',
      severity: 'error',
      from: { path: '^src/bots/' },
      to: { path: '^src/(adapters|transport|config|bot)/|^src/(server|main|open-adapters)\\.ts$' },
    },
    {
      name: 'protocol-stands-alone',
      comment: 'The web client imports the protocol: it must not drag server code along.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: { path: '^src/(?!protocol/)' },
    },
    {
      name: 'web-sees-protocol-only',
      comment: 'The browser client shares the wire types with the server, and nothing else.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/(?!protocol/)' },
    },
    {
      name: 'web-imports-protocol-types-only',
      comment:
        'Type-only imports vanish from the bundle: no server code (or typebox) reaches the browser.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/protocol/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-runs-in-the-browser',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-knows-no-web',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'clients-stand-alone',
      comment:
        'The protocol client speaks the wire format only, so no server change can reach it unseen.',
      severity: 'error',
      from: { path: '^clients/' },
      to: { path: '^(src|web|test|bench|scripts)/' },
    },
    {
      name: 'server-ships-no-clients',
      comment: 'The protocol client is a tool of tests, bench and scripts, not part of the server.',
      severity: 'error',
      from: { path: '^(src|web)/' },
      to: { path: '^clients/' },
    },
    {
      name: 'adapters-serve-ports-only',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(transport|config|bot)/|^src/(server|main|open-adapters)\\.ts$' },
    },
    {
      name: 'transport-talks-to-core',
      severity: 'error',
      from: { path: '^src/transport/' },
      to: { path: '^src/(adapters|bots|bot)/|^src/(server|main|open-adapters)\\.ts$' },
    },
    {
      name: 'transport-goes-through-connections',
      comment:
        "A connection's life (joins, leaves, presence, what it is delivered) is the core's connections use case: the edge calls it, and reaches neither the delivery layer nor presence.",
      severity: 'error',
      from: { path: '^src/transport/' },
      to: { path: '^src/core/(delivery/|ports/presence\\.ts$)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
