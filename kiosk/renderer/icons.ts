// Pictograms drawn for the kiosk (stroke icons on a 64×64 grid). Shapes carry meaning next to text and
// colour, never instead of it.
import { svg } from './dom.ts';

const stroke = {
  fill: 'none',
  stroke: 'currentColor',
  'stroke-width': 4,
  'stroke-linecap': 'round',
  'stroke-linejoin': 'round',
};

export const icons = {
  card: () =>
    svg('0 0 64 64', [
      ['rect', { x: 6, y: 14, width: 52, height: 36, rx: 5, ...stroke }],
      ['circle', { cx: 22, cy: 30, r: 6, ...stroke }],
      ['path', { d: 'M13 44c2-5 5-7 9-7s7 2 9 7M36 26h14M36 34h14M36 42h9', ...stroke }],
    ]),
  passport: () =>
    svg('0 0 64 64', [
      ['rect', { x: 14, y: 6, width: 36, height: 52, rx: 4, ...stroke }],
      ['circle', { cx: 32, cy: 26, r: 9, ...stroke }],
      ['path', { d: 'M23 26h18M32 17c-4 5-4 13 0 18M32 17c4 5 4 13 0 18M22 46h20', ...stroke }],
    ]),
  phoneCode: () =>
    svg('0 0 64 64', [
      ['rect', { x: 16, y: 4, width: 32, height: 56, rx: 5, ...stroke }],
      ['rect', { x: 22, y: 16, width: 9, height: 9, ...stroke }],
      ['rect', { x: 33, y: 16, width: 9, height: 9, ...stroke }],
      ['rect', { x: 22, y: 27, width: 9, height: 9, ...stroke }],
      ['path', { d: 'M34 29h3M39 29v6M34 34h3M28 52h8', ...stroke }],
    ]),
  wallet: () =>
    svg('0 0 64 64', [
      ['path', { d: 'M8 18h42a6 6 0 0 1 6 6v26a6 6 0 0 1-6 6H12a4 4 0 0 1-4-4z', ...stroke }],
      ['path', { d: 'M8 18l34-10 4 10M42 33h14v10H42a5 5 0 0 1 0-10z', ...stroke }],
    ]),
  camera: () =>
    svg('0 0 64 64', [
      ['circle', { cx: 32, cy: 26, r: 16, ...stroke }],
      ['circle', { cx: 32, cy: 26, r: 6, ...stroke }],
      ['path', { d: 'M20 52h24M32 42v10', ...stroke }],
    ]),
  pass: (label: string) =>
    svg(
      '0 0 64 64',
      [
        ['circle', { cx: 32, cy: 32, r: 26, ...stroke }],
        ['path', { d: 'M19 33l9 9 18-20', ...stroke, 'stroke-width': 6 }],
      ],
      'icon icon-outcome',
      label,
    ),
  deny: (label: string) =>
    svg(
      '0 0 64 64',
      [
        ['circle', { cx: 32, cy: 32, r: 26, ...stroke }],
        ['path', { d: 'M22 22l20 20M42 22L22 42', ...stroke, 'stroke-width': 6 }],
      ],
      'icon icon-outcome',
      label,
    ),
  review: (label: string) =>
    svg(
      '0 0 64 64',
      [
        ['circle', { cx: 32, cy: 20, r: 10, ...stroke }],
        ['path', { d: 'M12 58c2-12 10-18 20-18s18 6 20 18', ...stroke }],
      ],
      'icon icon-outcome',
      label,
    ),
  warning: (label: string) =>
    svg(
      '0 0 64 64',
      [
        ['path', { d: 'M32 6L60 56H4z', ...stroke }],
        ['path', { d: 'M32 24v14', ...stroke, 'stroke-width': 6 }],
        ['circle', { cx: 32, cy: 47, r: 3, fill: 'currentColor' }],
      ],
      'icon icon-outcome',
      label,
    ),
  hourglass: () =>
    svg(
      '0 0 64 64',
      [
        [
          'path',
          {
            d: 'M16 6h32M16 58h32M20 6c0 14 24 18 24 26S20 46 20 58M44 6c0 14-24 18-24 26s24 14 24 26',
            ...stroke,
          },
        ],
      ],
      'icon icon-spin',
    ),
  lock: () =>
    svg('0 0 64 64', [
      ['rect', { x: 12, y: 28, width: 40, height: 30, rx: 4, ...stroke }],
      ['path', { d: 'M20 28v-8a12 12 0 0 1 24 0v8M32 40v8', ...stroke }],
    ]),
  arrowLeft: () => svg('0 0 64 64', [['path', { d: 'M40 12L20 32l20 20', ...stroke, 'stroke-width': 7 }]]),
  arrowRight: () => svg('0 0 64 64', [['path', { d: 'M24 12l20 20-20 20', ...stroke, 'stroke-width': 7 }]]),
  eye: () =>
    svg('0 0 64 64', [
      ['path', { d: 'M4 32c8-12 18-18 28-18s20 6 28 18c-8 12-18 18-28 18S12 44 4 32z', ...stroke }],
      ['circle', { cx: 32, cy: 32, r: 8, ...stroke }],
    ]),
  plug: () =>
    svg('0 0 64 64', [['path', { d: 'M22 6v14M42 6v14M14 20h36v10a18 18 0 0 1-36 0zM32 48v10', ...stroke }]]),
  staff: () =>
    svg('0 0 64 64', [
      ['circle', { cx: 32, cy: 18, r: 10, ...stroke }],
      ['path', { d: 'M12 58c2-12 10-18 20-18s18 6 20 18M26 40l6 8 6-8', ...stroke }],
    ]),
  globe: () =>
    svg('0 0 64 64', [
      ['circle', { cx: 32, cy: 32, r: 26, ...stroke }],
      ['path', { d: 'M6 32h52M32 6c-9 8-9 44 0 52M32 6c9 8 9 44 0 52', ...stroke }],
    ]),
  speaker: () =>
    svg('0 0 64 64', [
      ['path', { d: 'M10 24h10l14-12v40L20 40H10z', ...stroke }],
      ['path', { d: 'M42 24a10 10 0 0 1 0 16M48 16a20 20 0 0 1 0 32', ...stroke }],
    ]),
  contrast: () =>
    svg('0 0 64 64', [
      ['circle', { cx: 32, cy: 32, r: 24, ...stroke }],
      ['path', { d: 'M32 8a24 24 0 0 1 0 48z', fill: 'currentColor' }],
    ]),
  textSize: () =>
    svg('0 0 64 64', [['path', { d: 'M6 50L20 14l14 36M11 38h18M38 50l9-24 9 24M41 42h12', ...stroke }]]),
  list: () =>
    svg('0 0 64 64', [['path', { d: 'M10 16h4M22 16h32M10 32h4M22 32h32M10 48h4M22 48h32', ...stroke }]]),
  test: () =>
    svg('0 0 64 64', [
      ['circle', { cx: 32, cy: 32, r: 22, ...stroke }],
      ['path', { d: 'M22 33l7 7 14-16', ...stroke }],
    ]),
  info: () =>
    svg('0 0 64 64', [
      ['circle', { cx: 32, cy: 32, r: 24, ...stroke }],
      ['path', { d: 'M32 28v16M32 20v1', ...stroke }],
    ]),
};
