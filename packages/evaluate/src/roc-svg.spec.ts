import { rocSvg } from './roc-svg';
import { rocCurve } from './verification';

describe('rocSvg', () => {
  it('draws one polyline point per ROC point on a log FAR axis reaching the smallest FAR', () => {
    const roc = rocCurve([0.9, 0.8, 0.7, 0.1, 0.05, 0.02], [true, false, true, false, false, false]);
    const svg = rocSvg(roc, { title: 'a <b> & c', subtitle: 'AUC 0.88' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const points = /points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(points).toHaveLength(roc.fpr.length);
    // Smallest nonzero FAR is 1/4: one decade, axis labels 1e-1 and 1.
    expect(svg).toContain('>1e-1</text>');
    expect(svg).toContain('>1</text>');
    expect(svg).toContain('a &lt;b&gt; &amp; c');
    expect(svg).toContain('AUC 0.88');
    // The last point (1, 1) sits at the top right of the plot area (x = 620, y = 40).
    expect(points[points.length - 1]).toBe('620.00,40.00');
  });
});
