import { describe, expect, it } from 'vitest';
import { brownSentences, stripTag } from '../../../src/lib/pretrain/brown';

const SAMPLE = [
  '',
  '',
  "\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at investigation/nn of/in Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at evidence/nn ''/'' that/cs any/dti irregularities/nns took/vbd place/nn ./.",
  '',
  '',
  "\tIt/pps was/bedz won/vbn by/in Ivan/np Allen/np Jr./np ./.",
  "\tHe/pps paid/vbd 1/2/cd ,/, (/( or/cc so/rb )/) --/-- yes/rb ;/. fine/jj ?/.",
].join('\n');

describe('brownSentences', () => {
  it('strips POS tags and restores normal spacing and quotes', () => {
    expect(brownSentences(SAMPLE)).toEqual([
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
      'It was won by Ivan Allen Jr.',
      'He paid 1/2, (or so) -- yes; fine?',
    ]);
  });

  it('takes the tag after the last slash', () => {
    expect(stripTag('1/2/cd')).toBe('1/2');
    expect(stripTag("Atlanta's/np$")).toBe("Atlanta's");
  });
});
