// Every Aftercare CLI parses flags with core's parser; the cli's commands know it by this name.
export { type CommandSpec, helpText, parseCommand as parseCommandArgs } from '@aftercare/core';
