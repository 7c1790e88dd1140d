/**
 * The rule catalogue: one module per rule, listed here in the order docs/rules.md shows them. Adding a rule = one file,
 * one line here, its texts in messages/rules.md and its cases in test/unit/rules/rules.test.ts (a test fails without them).
 */
import { rule as iuPriv001 } from './iuPriv001.js';
import { rule as iuPriv002 } from './iuPriv002.js';
import { rule as iuPriv003 } from './iuPriv003.js';
import { rule as iuPriv004 } from './iuPriv004.js';
import { rule as iuPriv005 } from './iuPriv005.js';
import { rule as iuPriv006 } from './iuPriv006.js';
import { rule as iuPriv008 } from './iuPriv008.js';
import { rule as iuPriv009 } from './iuPriv009.js';
import { rule as iuAuth001 } from './iuAuth001.js';
import { rule as iuAuth002 } from './iuAuth002.js';
import { rule as iuAuth003 } from './iuAuth003.js';
import { rule as iuAuth004 } from './iuAuth004.js';
import { rule as iuAuth005 } from './iuAuth005.js';
import { rule as iuAuth006 } from './iuAuth006.js';
import { rule as iuAuth011 } from './iuAuth011.js';
import { rule as iuAuth012 } from './iuAuth012.js';
import { rule as iuAuth013 } from './iuAuth013.js';
import { rule as iuOauth001 } from './iuOauth001.js';
import { rule as iuOauth002 } from './iuOauth002.js';
import { rule as iuOauth003 } from './iuOauth003.js';
import { rule as iuOauth004 } from './iuOauth004.js';
import { rule as iuStruct001 } from './iuStruct001.js';
import { rule as iuStruct002 } from './iuStruct002.js';
import { rule as iuStruct003 } from './iuStruct003.js';
import { rule as iuStruct004 } from './iuStruct004.js';
import { rule as iuStruct005 } from './iuStruct005.js';
import { rule as iuHyg001 } from './iuHyg001.js';
import { rule as iuHyg002 } from './iuHyg002.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
  iuPriv001,
  iuPriv002,
  iuPriv003,
  iuPriv004,
  iuPriv005,
  iuPriv006,
  iuPriv008,
  iuPriv009,
  iuAuth001,
  iuAuth002,
  iuAuth003,
  iuAuth004,
  iuAuth005,
  iuAuth006,
  iuAuth011,
  iuAuth012,
  iuAuth013,
  iuOauth001,
  iuOauth002,
  iuOauth003,
  iuOauth004,
  iuStruct001,
  iuStruct002,
  iuStruct003,
  iuStruct004,
  iuStruct005,
  iuHyg001,
  iuHyg002,
];
