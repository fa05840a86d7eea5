#!/usr/bin/env node
/**
 * The `confab` command. Exit codes: 0 done; 1 it failed (the server or the
 * store said no, or could not be reached: nothing changed); 2 a usage or
 * configuration error; 3 an admin task stored its change but could not tell
 * the running nodes (Redis failed).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBotWorker } from '../bot/run.js';
import { ConfigError } from '../config/env-reader.js';
import { ADMIN_COMMANDS } from './admin.js';
import { ApiClient, ApiError } from './api-client.js';
import { CHAT_HELP, ChatSession } from './chat.js';
import { AdminError, NotToldError, UsageError } from './errors.js';
import { readSecret } from './read-secret.js';
import { serve } from './serve.js';

interface Command {
  usage: string;
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: {
    usage: 'confab serve',
    summary: 'run the server in the foreground (as npm start)',
    help: 'Reads its settings from the environment and .env (docs/operations.md); SIGTERM or SIGINT drain it.',
    async run(args) {
      if (args.length > 0) throw new UsageError(`serve takes no arguments, got "${args[0]}"`);
      await serve();
      return new Promise<number>(() => undefined); // runs until a signal ends the process
    },
  },
  chat: {
    usage: 'confab chat [--url U] [--user N] [--room R]',
    summary: 'chat from the terminal, as a user or a guest',
    help: `  --url URL    the server (default CONFAB_URL, else http://localhost:PORT, PORT defaulting to 8080)
  --user NAME  log in as NAME; the password comes from CONFAB_PASSWORD, a prompt, or the first line of piped input.
               Without --user you are a new guest.
  --room ROOM  join this room (name or id) at once

${CHAT_HELP}`,
    run: chat,
  },
  bench: {
    usage: 'confab bench [scenario ...] [flags]',
    summary: 'run the benchmarks (needs the dev dependencies: a checkout with npm install)',
    help: 'Runs bench/cli.ts with the same arguments: `confab bench --help` lists them.',
    run: bench,
  },
  bot: {
    usage: 'confab bot',
    summary: 'run a bot worker in the foreground (as npm run bot; needs AMQP_URL)',
    help: 'Takes commands from RabbitMQ at AMQP_URL and answers them (docs/bots.md); SIGTERM or SIGINT let it finish what it holds.',
    async run(args) {
      if (args.length > 0) throw new UsageError(`bot takes no arguments, got "${args[0]}"`);
      await runBotWorker();
      return new Promise<number>(() => undefined); // runs until a signal ends the process
    },
  },
  ...ADMIN_COMMANDS,
};

const USAGE = `Usage: confab <command> [arguments]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`)
  .join('\n')}

confab help <command> (or confab <command> --help) tells more.
Exit codes: 0 done, 1 failed (nothing changed), 2 usage or configuration error,
3 stored but the running nodes could not be told (admin tasks).
`;

async function chat(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { url: { type: 'string' }, user: { type: 'string' }, room: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0)
    throw new UsageError(`chat takes no arguments, got "${positionals[0]}"`);
  const url = (
    values.url ??
    process.env.CONFAB_URL ??
    `http://localhost:${process.env.PORT ?? 8080}`
  ).replace(/\/$/, '');
  if (!/^https?:\/\//.test(url))
    throw new UsageError(`--url must start with http:// or https://, got "${url}"`);
  const api = new ApiClient(url);
  let session: { token: string; user: { name: string } };
  if (values.user) {
    const password = await readSecret(`password for ${values.user}: `, 'CONFAB_PASSWORD');
    session = await api.post('/api/login', { username: values.user, password });
  } else {
    session = await api.post('/api/guest', {});
  }
  process.stdout.write(`* connected to ${url} as ${session.user.name}; /help lists the commands\n`);
  return new ChatSession(api, session.token).run(process.stdin, values.room);
}

async function bench(args: string[]): Promise<number> {
  const root = packageRoot();
  const script = join(root, 'bench', 'cli.ts');
  const tsx = join(root, 'node_modules', 'tsx');
  if (!existsSync(script) || !existsSync(tsx)) {
    process.stderr.write(
      'confab bench: needs a checkout with its dev dependencies (npm install)\n',
    );
    return 2;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

function packageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === 'help') {
    const topic = args.join(' ');
    if (topic === '') {
      process.stdout.write(USAGE);
      return 0;
    }
    const command = COMMANDS[topic];
    if (!command) throw new UsageError(`no command "${topic}"`);
    process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}.\n${command.help}\n`);
    return 0;
  }
  // Two-word commands: `user create`, `room list`, ...
  const two = args[0] === undefined ? undefined : `${name} ${args[0]}`;
  const [key, rest] = two && COMMANDS[two] ? [two, args.slice(1)] : [name, args];
  const command = COMMANDS[key];
  if (!command) throw new UsageError(`no command "${two && !COMMANDS[name] ? two : name}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}.\n${command.help}\n`);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  // Exit at once: a chat's socket or stdin must not hold the process open.
  (code) => process.exit(code),
  (err: unknown) => {
    const usage =
      err instanceof UsageError ||
      err instanceof ConfigError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof NotToldError) {
      process.stderr.write(`confab: ${message}\n`);
      process.exit(3);
    }
    if (err instanceof ApiError || err instanceof AdminError || usage) {
      process.stderr.write(`confab: ${message}\n`);
      if (usage && !(err instanceof ConfigError))
        process.stderr.write('confab help lists the commands\n');
    } else {
      process.stderr.write(`confab: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
    }
    process.exit(usage ? 2 : 1);
  },
);
