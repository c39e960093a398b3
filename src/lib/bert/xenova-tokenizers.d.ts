/**
 * The part of `@xenova/transformers/src/tokenizers.js` used here. Importing that module alone
 * (instead of the package root) keeps the models/pipelines code out of the bundle.
 */
declare module '@xenova/transformers/src/tokenizers.js' {
  export interface XenovaTokenizer {
    encode(text: string, textPair?: string | null, options?: { add_special_tokens?: boolean }): number[];
    decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
    model: {
      convert_ids_to_tokens(ids: number[]): string[];
      tokens_to_ids: Map<string, number>;
      vocab: string[];
    };
  }
  export type XenovaTokenizerClass = new (tokenizerJSON: unknown, tokenizerConfig: unknown) => XenovaTokenizer;
  export const AutoTokenizer: { TOKENIZER_CLASS_MAPPING: Record<string, XenovaTokenizerClass | undefined> };
  export const PreTrainedTokenizer: XenovaTokenizerClass;
}
