import { runBotWorker } from './run.js';

/** `npm run bot`: see run.ts. */
runBotWorker().catch((err) => {
  process.stderr.write(
    `confab bot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
