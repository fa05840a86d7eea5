import { createInterface } from 'node:readline';

/**
 * A password: from the environment variable `envName` when set (scripts),
 * else typed at a prompt that does not echo it (a terminal), else the first
 * line of piped input.
 */
export async function readSecret(prompt: string, envName: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const terminal = Boolean(process.stdin.isTTY);
  const rl = createInterface({
    input: process.stdin,
    output: terminal ? process.stdout : undefined,
    terminal,
  });
  if (terminal) {
    process.stdout.write(prompt);
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  if (terminal) process.stdout.write('\n');
  return line;
}
