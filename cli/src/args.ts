// Every Aftercare CLI parses flags with core's parser; the cli's commands know it by this name.
export { type CommandSpec, helpText, parseCommand as parseCommandArgs } from '@aftercare/core';

/** `--customer` / `--technician`: what an account or token of those roles is confined to. */
export const scopeFlags = {
  customer: {
    type: 'string' as const,
    description: 'customer id (required for, and only for, --role customer)',
  },
  technician: {
    type: 'string' as const,
    description: 'technician id (required for, and only for, --role technician)',
  },
};
