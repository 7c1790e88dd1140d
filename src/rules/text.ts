/**
 * Rule texts live in messages/rules.md (all user-facing text is in messages); rule modules read them here,
 * so each rule's meta is still the single source the docs generator and the reporters use.
 */
import { Messages } from '@salesforce/core';
import type { Fact } from '../access/model.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const ruleMessages = Messages.loadMessages('sf-plugin-integration', 'rules');

export type RuleText = { title: string; description: string; detection: string; remediation: string };

export const ruleText = (id: string): RuleText => ({
  title: ruleMessages.getMessage(`${id}.title`),
  description: ruleMessages.getMessage(`${id}.description`),
  detection: ruleMessages.getMessage(`${id}.detection`),
  remediation: ruleMessages.getMessage(`${id}.remediation`),
});

/** A rule's message with tokens (`# <id>.<key>` in messages/rules.md). */
export const ruleMessage = (key: string, tokens: Array<string | number> = []): string =>
  ruleMessages.getMessage(key, tokens);

/** What a fact is, in words (`# fact.<fact>`): the one place that names the model's facts for people. */
export const factName = (fact: Fact): string => ruleMessages.getMessage(`fact.${fact}`);
