#!/usr/bin/env node
/// <reference types="node" />
/**
 * The executable of the `foreign-ts` command (package.json `bin`: dist/cli/bin.js).
 *
 * @since 0.1.0
 */
import { main } from './main.js';

process.exitCode = main(process.argv.slice(2));
