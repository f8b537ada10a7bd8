// `berth create [OPTIONS] IMAGE [COMMAND] [ARG...]`: prints the new container's id.
import type { Command } from '../../command.ts';
import { CREATE_FLAGS } from './create-flags.ts';
import { createContainer, createRequest } from './create-container.ts';

export const create: Command = {
  name: 'create', usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]', summary: 'Create a new container', args: { min: 1 },
  interspersed: false, flags: CREATE_FLAGS,
  async run(ctx, f, args) {
    const id = await createContainer(ctx, createRequest(ctx, f, args, false), f);
    ctx.out(`${id}\n`);
  },
};
