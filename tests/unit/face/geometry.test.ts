import { describe, expect, it } from 'vitest';
import {
  ARCFACE_112,
  applyAffine,
  cosine,
  cropAround,
  fivePoints,
  iou,
  nms,
  similarityTransform,
} from '../../../kiosk/face/geometry.ts';
import type { Point } from '../../../kiosk/face/geometry.ts';

describe('face geometry', () => {
  it('similarityTransform recovers a known rotation, scale and shift', () => {
    const angle = 0.3;
    const scale = 1.7;
    const [tx, ty] = [12, -5];
    const move = (p: Point): Point => [
      scale * (Math.cos(angle) * p[0] - Math.sin(angle) * p[1]) + tx,
      scale * (Math.sin(angle) * p[0] + Math.cos(angle) * p[1]) + ty,
    ];
    const dst = ARCFACE_112.map(move);
    const m = similarityTransform(ARCFACE_112, dst);
    for (const [i, p] of ARCFACE_112.entries()) {
      const q = applyAffine(m, p);
      expect(q[0]).toBeCloseTo((dst[i] as Point)[0], 9);
      expect(q[1]).toBeCloseTo((dst[i] as Point)[1], 9);
    }
  });

  it('similarityTransform refuses degenerate input', () => {
    expect(() =>
      similarityTransform(
        [
          [1, 1],
          [1, 1],
        ],
        [
          [0, 0],
          [1, 1],
        ],
      ),
    ).toThrow(RangeError);
    expect(() => similarityTransform([[1, 1]], [[0, 0]])).toThrow(RangeError);
  });

  it('nms keeps the best of overlapping boxes and separate faces', () => {
    const boxes = [
      { x1: 0, y1: 0, x2: 10, y2: 10, score: 0.9 },
      { x1: 1, y1: 1, x2: 11, y2: 11, score: 0.95 },
      { x1: 50, y1: 50, x2: 60, y2: 60, score: 0.8 },
    ];
    const kept = nms(boxes, 0.3);
    expect(kept.map((b) => b.score)).toEqual([0.95, 0.8]);
    expect(iou(boxes[0]!, boxes[0]!)).toBe(1);
    expect(iou(boxes[0]!, boxes[2]!)).toBe(0);
  });

  it('cropAround grows around the centre, keeps the aspect when the image is too small, stays inside', () => {
    const r = cropAround({ x1: 40, y1: 40, x2: 60, y2: 60 }, 2, 100, 100);
    expect(r).toEqual({ x: 30, y: 30, width: 40, height: 40 });
    const edge = cropAround({ x1: 0, y1: 0, x2: 20, y2: 20 }, 2.7, 100, 100);
    expect(edge.x).toBe(0);
    expect(edge.width).toBe(54);
    const big = cropAround({ x1: 10, y1: 10, x2: 90, y2: 50 }, 2.7, 100, 100);
    expect(big.width).toBeLessThanOrEqual(100);
    expect(big.width / big.height).toBeCloseTo(2, 1);
  });

  it('fivePoints averages the eye rings and takes nose tip and mouth corners', () => {
    const lm: Point[] = Array.from({ length: 68 }, (_, i) => [i, 2 * i] as Point);
    const five = fivePoints(lm);
    expect(five[0]).toEqual([38.5, 77]);
    expect(five[1]).toEqual([44.5, 89]);
    expect(five[2]).toEqual([30, 60]);
    expect(five[3]).toEqual([48, 96]);
    expect(five[4]).toEqual([54, 108]);
  });

  it('cosine is scale-free and signed', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [-1, 0])).toBe(-1);
    expect(cosine([0, 0], [1, 0])).toBe(0);
  });
});
