/** A span of text, in UTF-16 offsets: `start` inclusive, `end` exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

/** Finds what the content rules look at; the policy stays in the core (`content-rules.ts`). */
export interface TextScanner {
  /** Where the listed words are, including spellings with look-alike letters, digits or spaces. */
  listedWords(text: string): TextRange[];
  /** The host name of every link in the text, with or without a scheme, in lower-case ASCII. */
  linkHosts(text: string): string[];
}
