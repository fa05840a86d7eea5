import { serve } from './cli/serve.js';

/** `npm start`: the server in the foreground (`confab serve` does the same). */
serve().catch((err) => {
  process.stderr.write(
    `confab: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
