#!/usr/bin/env node
// Runs the plugin's commands from lib/ (after `npm run build`), without the sf CLI.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
