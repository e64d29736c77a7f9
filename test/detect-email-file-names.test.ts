// A high-density image's name (`icon@2x.png`, `logo@3x.jpg` in a page's srcset or a style
// sheet) has an address's shape, but its ending is a file's, never a top-level domain: it
// is no e-mail address. An address whose domain ends in a real top-level domain is.
import { describe, expect, it } from 'vitest';
import { detect } from '../lib/domain/detect/detect.ts';

const emails = (text: string) => detect(text).filter((d) => d.type === 'email').map((d) => d.raw);

describe('file names with an @', () => {
  it('are no addresses when they end as an image, a style sheet or a script does', () => {
    for (const text of ['<img srcset="icon@2x.png 2x, icon@3x.png 3x">', 'background: url(logo@2x.PNG)', 'hero@1.5x.jpeg', 'sprite@2x.webp', 'bundle@3.2.1.js', 'theme@dark.css', 'favicon@2x.ico', 'chart@2x.svg']) {
      expect(emails(text), text).toEqual([]);
    }
  });

  it('leaves addresses whose domain ends in a top-level domain, new ones included', () => {
    for (const [text, raw] of [
      ['mail chan@acme.com.hk now', 'chan@acme.com.hk'],
      ['peter@example.zip', 'peter@example.zip'],
      ['amy@studio.design', 'amy@studio.design'],
      ['<a href="mailto:tm.chan@example.com">', 'tm.chan@example.com'],
    ] as const) {
      expect(emails(text), text).toEqual([raw]);
    }
  });
});
