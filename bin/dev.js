#!/usr/bin/env -S node --import tsx
// Development entry: loads commands from src/ through tsx and enables the devPlugins
// (schema and snapshot commands). Run as `node --import tsx bin/dev.js <command>`.
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
