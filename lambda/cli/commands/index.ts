import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerAnalyze } from './analyze';
import { registerCapture } from './capture';
import { registerEval } from './eval';
import { registerRedeliver } from './redeliver';
import { registerWatch } from './watch';

/** Adds one subcommand (its arguments, options, help and action) to the program. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/**
 * The CLI's subcommands, in help order. A new command is one module in this folder exporting a
 * `RegisterCommand`, listed here.
 */
export const COMMANDS: readonly RegisterCommand[] = [registerAnalyze, registerCapture, registerWatch, registerEval, registerRedeliver];
