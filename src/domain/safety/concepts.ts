import type { RuleSource } from './types';

export const SHARED_CLASSES: Readonly<Record<string, string>> = {};
export const CONCEPT_CLASSES: readonly string[] = [];
export const SHARED_RULES: readonly RuleSource[] = [];
