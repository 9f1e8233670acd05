/** GetRandomPassword, which rotation functions call in their createSecret step. */
import { randomInt } from 'node:crypto';
import type { Operation } from './context.ts';
import { InvalidParameterError } from './errors.ts';
import { optionalBoolean, optionalInteger, optionalString } from './validation.ts';

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

function pick(characters: string): string {
  return characters[randomInt(characters.length)]!;
}

export const getRandomPassword: Operation = (_ctx, input) => {
  const length = optionalInteger(input, 'PasswordLength', { min: 1, max: 4096 }) ?? 32;
  const excluded = new Set(optionalString(input, 'ExcludeCharacters', { max: 4096 }) ?? '');
  const without = (characters: string) => [...characters].filter((c) => !excluded.has(c)).join('');
  const groups = [
    optionalBoolean(input, 'ExcludeLowercase') ? '' : without(LOWERCASE),
    optionalBoolean(input, 'ExcludeUppercase') ? '' : without(UPPERCASE),
    optionalBoolean(input, 'ExcludeNumbers') ? '' : without(NUMBERS),
    optionalBoolean(input, 'ExcludePunctuation') ? '' : without(PUNCTUATION),
    optionalBoolean(input, 'IncludeSpace') ? without(' ') : '',
  ].filter((group) => group.length > 0);
  const requireEach = optionalBoolean(input, 'RequireEachIncludedType') ?? true;
  if (groups.length === 0)
    throw new InvalidParameterError('The password would have no characters to choose from.');
  if (requireEach && length < groups.length) {
    throw new InvalidParameterError('PasswordLength is too short to include each required character type.');
  }

  const all = groups.join('');
  const characters = requireEach ? groups.map(pick) : [];
  while (characters.length < length) characters.push(pick(all));
  // Fisher-Yates, so the required characters are not always first.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j]!, characters[i]!];
  }
  return { RandomPassword: characters.join('') };
};
