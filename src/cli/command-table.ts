// Every berth command, top-level and in its management group (`berth container ls`).
import type { Command } from './command.ts';
import { attach } from './commands/container/attach.ts';
import { commit } from './commands/container/commit.ts';
import { cp } from './commands/container/cp.ts';
import { create } from './commands/container/create.ts';
import { diff } from './commands/container/diff.ts';
import { exec } from './commands/container/exec.ts';
import { exportContainer } from './commands/container/export.ts';
import { containerInspect, imageInspect, inspect } from './commands/container/inspect.ts';
import { kill, pause, rename, restart, rm, stop, unpause, wait } from './commands/container/lifecycle.ts';
import { logs } from './commands/container/logs.ts';
import { containerPrune } from './commands/container/prune.ts';
import { ps } from './commands/container/ps.ts';
import { run } from './commands/container/run.ts';
import { start } from './commands/container/start.ts';
import { stats } from './commands/container/stats.ts';
import { port, top } from './commands/container/top.ts';
import { update } from './commands/container/update.ts';
import { history } from './commands/image/history.ts';
import { images } from './commands/image/images.ts';
import { importImage } from './commands/image/import.ts';
import { load } from './commands/image/save.ts';
import { imagePrune } from './commands/image/prune.ts';
import { pull } from './commands/image/pull.ts';
import { push } from './commands/image/push.ts';
import { rmi } from './commands/image/rmi.ts';
import { save } from './commands/image/save.ts';
import { tag } from './commands/image/tag.ts';
import { networkCommands } from './commands/network/network.ts';
import { registry } from './commands/registry/registry.ts';
import { volumeCommands } from './commands/volume/volume.ts';
import { events } from './commands/system/events.ts';
import { info } from './commands/system/info.ts';
import { login, logout } from './commands/system/login.ts';
import { systemDf, systemPrune } from './commands/system/system.ts';
import { version } from './commands/system/version.ts';
import type { HelpSection } from './help.ts';

const as = (c: Command, name: string, aliases: string[] = []): Command => ({ ...c, name, aliases });

export const TOP: Record<string, Command> = Object.fromEntries([
  run, exec, ps, images, pull, push, login, logout, version, info,
  attach, commit, cp, create, diff, events, exportContainer, history, importImage, inspect, kill, load, logs, pause, port, rename, restart,
  rm, rmi, save, start, stats, stop, tag, top, unpause, update, wait,
].map((c) => [c.name, c]));

export const GROUPS: Record<string, { summary: string; commands: Command[] }> = {
  container: {
    summary: 'Manage containers',
    commands: [attach, commit, cp, create, diff, exec, exportContainer, containerInspect, kill, logs, as(ps, 'ls', ['list', 'ps']), pause, port, containerPrune, rename, restart,
      as(rm, 'rm', ['remove']), run, start, stats, stop, top, unpause, update, wait],
  },
  image: {
    summary: 'Manage images',
    commands: [history, importImage, imageInspect, load, as(images, 'ls', ['list']), imagePrune, pull, push, as(rmi, 'rm', ['remove']), save, tag],
  },
  network: {
    summary: 'Manage networks',
    commands: networkCommands,
  },
  volume: {
    summary: 'Manage volumes',
    commands: volumeCommands,
  },
  system: {
    summary: 'Manage berth',
    commands: [systemDf, events, info, systemPrune],
  },
  registry: {
    summary: 'Run an OCI distribution registry (serve, gc)',
    commands: [registry.serve, registry.gc],
  },
};

export const SECTIONS: HelpSection[] = [
  { title: 'Common Commands', commands: [run, exec, ps, images, pull, push, login, logout, version, info] },
  { title: 'Commands', commands: [attach, commit, cp, create, diff, events, exportContainer, history, importImage, inspect, kill, load, logs, pause, port, rename, restart, rm, rmi, save, start, stats, stop, tag, top, unpause, update, wait] },
];
