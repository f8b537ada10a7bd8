// `berth login [-u USER] [-p PASS | --password-stdin] [SERVER]` and `berth logout [SERVER]`:
// checked by the daemon (POST /auth), stored in config.json `auths` as docker does.
import { join } from 'node:path';
import { StatusError } from '../../cli-error.ts';
import { bool, str, type CliContext, type Command } from '../../command.ts';
import { authKey, HUB_AUTH_KEY, loadConfig, saveConfig } from '../../config-file.ts';

async function readLine(ctx: CliContext, prompt: string): Promise<string> {
  if (prompt) ctx.out(prompt);
  const stdin = ctx.io.stdin;
  return new Promise((resolve) => {
    let buf = '';
    const onData = (c: Buffer) => { buf += c.toString('utf8'); if (buf.includes('\n')) finish(); };
    const finish = () => { stdin.off('data', onData); stdin.off('end', finish); stdin.pause(); resolve(buf.split('\n')[0].replace(/\r$/, '')); };
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.resume();
  });
}

async function readAll(ctx: CliContext): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of ctx.io.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export const login: Command = {
  name: 'login', usage: '[OPTIONS] [SERVER]', summary: 'Authenticate to a registry', args: { max: 1 },
  flags: [
    { name: 'password', short: 'p', kind: 'string', help: 'Password or Personal Access Token (PAT)' },
    { name: 'password-stdin', kind: 'bool', help: 'Take the Password or Personal Access Token (PAT) from stdin' },
    { name: 'username', short: 'u', kind: 'string', help: 'Username' },
  ],
  async run(ctx, f, [server]) {
    let username = str(f, 'username');
    let password = str(f, 'password');
    if (bool(f, 'password-stdin')) {
      if (password) throw new StatusError(1, '--password and --password-stdin are mutually exclusive');
      if (!username) throw new StatusError(1, 'Must provide --username with --password-stdin');
      password = (await readAll(ctx)).trim();
    } else if (password) {
      ctx.err('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    }
    const key = authKey(server ?? '');
    if (!username) username = (await readLine(ctx, 'Username: ')).trim();
    if (!username) throw new StatusError(1, 'Error: Non-null Username Required');
    if (!password) password = await readLine(ctx, 'Password: ');
    if (!password) throw new StatusError(1, 'Error: Password Required');
    const r = await ctx.client.call<{ Status?: string; IdentityToken?: string }>('SystemAuth', {
      body: { username, password, serveraddress: key === HUB_AUTH_KEY ? HUB_AUTH_KEY : key },
    });
    const cfg = loadConfig(ctx.configDir);
    cfg.auths ??= {};
    cfg.auths[key] = r?.IdentityToken ? { auth: '', identitytoken: r.IdentityToken } : { auth: Buffer.from(`${username}:${password}`).toString('base64') };
    saveConfig(ctx.configDir, cfg);
    ctx.err(`WARNING! Your credentials are stored unencrypted in '${join(ctx.configDir, 'config.json')}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`);
    ctx.out(`${r?.Status || 'Login Succeeded'}\n`);
  },
};

export const logout: Command = {
  name: 'logout', usage: '[SERVER]', summary: 'Log out from a registry', args: { max: 1 }, flags: [],
  async run(ctx, _f, [server]) {
    const key = authKey(server ?? '');
    const cfg = loadConfig(ctx.configDir);
    const keys = Object.keys(cfg.auths ?? {}).filter((k) => k === key || authKey(k) === key);
    if (!keys.length) { ctx.out(`Not logged in to ${key}\n`); return; }
    ctx.out(`Removing login credentials for ${key}\n`);
    for (const k of keys) delete cfg.auths![k];
    saveConfig(ctx.configDir, cfg);
  },
};
