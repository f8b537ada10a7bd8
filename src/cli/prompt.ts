// Docker's PromptForConfirmation: the question on stdout, one line read from stdin, yes on y/Y.
import type { CliContext } from './command.ts';

export async function confirm(ctx: CliContext, message: string): Promise<boolean> {
  ctx.out(`${message}\nAre you sure you want to continue? [y/N] `);
  const stdin = ctx.io.stdin;
  const line = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (c: Buffer) => {
      buf += c.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) { done(buf.slice(0, nl)); }
    };
    const done = (s: string) => { stdin.off('data', onData); stdin.off('end', onEnd); stdin.pause(); resolve(s); };
    const onEnd = () => done(buf);
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.resume();
  });
  const ok = /^\s*y(es)?\s*$/i.test(line);
  if (!ok && !ctx.io.stdin.isTTY) ctx.out('\n');
  return ok;
}
