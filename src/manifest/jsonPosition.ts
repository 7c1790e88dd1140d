/**
 * Where a JSON text first goes wrong, as a character offset. JSON.parse in Node 22 gives a position for some
 * errors and not for others ("Unexpected token 'v', … is not valid JSON"), so when it fails this small scanner
 * finds the offset itself. Only called on text that JSON.parse rejected.
 */

class Scanner {
  public offset = 0;
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
    for (;;) {
      this.whitespace();
      if (this.text[this.offset] !== '"') throw this.offset;
      this.string();
      this.whitespace();
      this.expect(':');
      this.whitespace();
      this.value();
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
    for (;;) {
      this.whitespace();
      this.value();
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

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
