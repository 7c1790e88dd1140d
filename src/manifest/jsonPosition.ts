/**
 * A small JSON scanner for what JSON.parse does not tell: where a text first goes wrong (Node 22 gives a position
 * for some errors and not for others, e.g. "Unexpected token 'v', … is not valid JSON"), and which object keys
 * appear twice (JSON.parse silently keeps the last one, so a repeated "Account" would lose access unnoticed).
 */

export type JsonPathSegment = string | number;
export type DuplicateKey = { segments: JsonPathSegment[]; key: string };

class Scanner {
  public offset = 0;
  public readonly duplicates: DuplicateKey[] = [];
  private readonly path: JsonPathSegment[] = [];
  public constructor(private readonly text: string) {}

  public document(): void {
    this.whitespace();
    this.value();
    this.whitespace();
    if (this.offset < this.text.length) throw this.offset;
  }

  private whitespace(): void {
    while (this.offset < this.text.length && ' \t\n\r'.includes(this.text[this.offset])) this.offset++;
  }

  private expect(literal: string): void {
    for (const char of literal) {
      if (this.text[this.offset] !== char) throw this.offset;
      this.offset++;
    }
  }

  private value(): void {
    const char = this.text[this.offset];
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char === 't') this.expect('true');
    else if (char === 'f') this.expect('false');
    else if (char === 'n') this.expect('null');
    else this.number();
  }

  private object(): void {
    this.offset++;
    this.whitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return;
    }
    const keys = new Set<string>();
    for (;;) {
      this.whitespace();
      if (this.text[this.offset] !== '"') throw this.offset;
      const keyStart = this.offset;
      this.string();
      const key = JSON.parse(this.text.slice(keyStart, this.offset)) as string;
      if (keys.has(key)) this.duplicates.push({ segments: [...this.path], key });
      keys.add(key);
      this.whitespace();
      this.expect(':');
      this.whitespace();
      this.path.push(key);
      this.value();
      this.path.pop();
      this.whitespace();
      if (this.text[this.offset] === ',') this.offset++;
      else return this.expect('}');
    }
  }

  private array(): void {
    this.offset++;
    this.whitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return;
    }
    for (let index = 0; ; index++) {
      this.whitespace();
      this.path.push(index);
      this.value();
      this.path.pop();
      this.whitespace();
      if (this.text[this.offset] === ',') this.offset++;
      else return this.expect(']');
    }
  }

  private string(): void {
    this.offset++;
    while (this.offset < this.text.length) {
      const char = this.text[this.offset];
      if (char === '"') {
        this.offset++;
        return;
      }
      if (char < ' ') throw this.offset;
      this.offset += char === '\\' ? 2 : 1;
    }
    throw this.offset;
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.offset));
    if (!match) throw this.offset;
    this.offset += match[0].length;
  }
}

/** Offset of the first syntax error, or undefined if the scanner finds none. */
export function jsonErrorOffset(text: string): number | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (offset) {
    if (typeof offset === 'number') return Math.min(offset, text.length);
    throw offset;
  }
}

/** Keys that appear twice in one object, with the path of that object. For text that JSON.parse accepted. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const scanner = new Scanner(text);
  try {
    scanner.document();
  } catch {
    return scanner.duplicates;
  }
  return scanner.duplicates;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
