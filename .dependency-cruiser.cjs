// The boundary check (npm run boundaries, run by .ci/run): the one rule of the house in code.
//   core imports nothing outside core (node: built-ins only);
//   channels and the console use the core (its ports and use cases), never the store, triage or content;
//   only main.ts wires real parts: store implementations, channels and the console are imported by it alone.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-outside-core',
      comment: 'src/core is the model, policy, ports and use cases: it may import only src/core and node: built-ins.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: '^src/core/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'channels-use-only-the-core',
      comment: 'A channel maps platform updates to Inbound and Outbound to platform calls: it talks to the core only.',
      severity: 'error',
      from: { path: '^src/channels/' },
      to: { path: '^src/(store|console|triage|content|http|config|metrics|logger|main)' },
    },
    {
      name: 'a-channel-is-one-folder',
      comment: 'Channels do not import each other; shared code belongs in the core or src/channels/channel.ts.',
      severity: 'error',
      from: { path: '^src/channels/([^/]+)/' },
      to: { path: '^src/channels/[^/]+/', pathNot: '^src/channels/$1/' },
    },
    {
      name: 'console-uses-only-the-core',
      comment: 'The console reads and acts through the core use cases and the staff repositories (ports), never store internals.',
      severity: 'error',
      from: { path: '^src/console/' },
      to: { path: '^src/(store|channels|triage|content|config|metrics|main)' },
    },
    {
      name: 'store-implements-core-ports',
      comment: 'The store knows the core model and its ports, nothing else of the app.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/(channels|console|triage|content|http|config|metrics|main)' },
    },
    {
      name: 'content-and-triage-stay-below',
      comment: 'Content and triage are parts the composition root plugs in; they never reach up into channels, console, store or main.',
      severity: 'error',
      from: { path: '^src/(content|triage)/' },
      to: { path: '^src/(channels|console|store|http|metrics|main)' },
    },
    {
      name: 'studio-uses-core-and-content',
      comment: 'The content studio (src/studio) works on the core ports (content versions) and the content loader; the store, triage and channels are plugged in by main.ts.',
      severity: 'error',
      from: { path: '^src/studio/', pathNot: '-cli\\.ts$' },
      to: { path: '^src/(store|channels|triage|http|metrics|main|records)' },
    },
    {
      name: 'records-implement-core-ports',
      comment: 'The records database (src/records) knows the core model and its ports, nothing else of the app (its CLIs read the config).',
      severity: 'error',
      from: { path: '^src/records/', pathNot: '-cli\\.ts$' },
      to: { path: '^src/(channels|console|triage|content|http|config|metrics|main|store)' },
    },
    {
      name: 'only-main-wires-real-parts',
      comment: 'Store implementations, repositories, the records database, channels and the console are built in src/main.ts only (CLIs open the records database too).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main|corrections-cli|records/[a-z-]+-cli|studio/[a-z-]+-cli)\\.ts$' },
      to: { path: '^src/(store/(memory-store|redis-store|repositories)|records/open|channels/[^/]+/channel|console/index)\\.ts$' },
    },
    {
      name: 'nothing-imports-main',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, within a folder or between folders.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
