/**
 * Renders one synthetic face as SVG (rasterised by sharp/librsvg) and computes its face box.
 * Coordinates are pixels of a size x size image; the face is drawn around its centre and the
 * whole head is rotated by the nuisance's roll.
 */
import type { IdentityTraits, Rgb } from './identity';
import type { Nuisance } from './nuisance';

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const css = (c: Rgb, k = 1) =>
  `rgb(${Math.round(Math.min(255, c.r * k))},${Math.round(Math.min(255, c.g * k))},${Math.round(Math.min(255, c.b * k))})`;
const f = (v: number) => v.toFixed(2);

/** Points of the face outline (ellipse with a tapered jaw), relative to the face centre. */
function outline(rx: number, ry: number, jaw: number): [number, number][] {
  const pts: [number, number][] = [];
  for (let i = 0; i < 48; i++) {
    const t = (i / 48) * 2 * Math.PI;
    const y = ry * Math.sin(t);
    const taper = y > 0 ? 1 - jaw * 0.4 * (y / ry) ** 2 : 1;
    pts.push([rx * Math.cos(t) * taper, y]);
  }
  return pts;
}

export function renderFace(id: IdentityTraits, nz: Nuisance, size: number): { svg: string; box: Box } {
  const S = size;
  const cx = S * (0.5 + nz.dx);
  const cy = S * (0.5 + nz.dy);
  const rx = id.faceRx * S * nz.scale * (1 - 0.18 * Math.abs(nz.yaw));
  const ry = id.faceRx * S * nz.scale * id.aspect;
  const shift = nz.yaw * rx * 0.35; // features move towards the turned side
  const face = outline(rx, ry, id.jaw);
  const facePath = `M${face.map(([x, y]) => `${f(cx + x)},${f(cy + y)}`).join('L')}Z`;

  const eyeY = cy - id.eyeHeight * ry;
  const eyeDx = id.eyeSpacing * rx;
  const eyeR = id.eyeSize * rx;
  const parts: string[] = [];

  // Hair behind the head.
  const hairBack: Record<number, string> = {
    0: `<ellipse cx="${f(cx)}" cy="${f(cy - ry * 0.25)}" rx="${f(rx * 1.08)}" ry="${f(ry * 0.85)}" fill="${css(id.hair)}"/>`,
    1: `<rect x="${f(cx - rx * 1.2)}" y="${f(cy - ry * 1.1)}" width="${f(rx * 2.4)}" height="${f(ry * 2.0)}" rx="${f(rx * 0.9)}" fill="${css(id.hair)}"/>`,
    2: '',
    3: `<ellipse cx="${f(cx)}" cy="${f(cy - ry * 0.3)}" rx="${f(rx * 1.1)}" ry="${f(ry * 0.85)}" fill="${css(id.hair)}"/>`,
    4: `<ellipse cx="${f(cx)}" cy="${f(cy - ry * 0.55)}" rx="${f(rx * 1.0)}" ry="${f(ry * 0.75)}" fill="${css(id.hair)}"/>`,
  };
  parts.push(hairBack[id.hairStyle]);
  // Ears.
  for (const side of [-1, 1]) {
    parts.push(
      `<ellipse cx="${f(cx + side * rx * 0.98 + shift * 0.3)}" cy="${f(eyeY + ry * 0.1)}" rx="${f(rx * 0.14)}" ry="${f(ry * 0.2)}" fill="${css(id.skin, 0.92)}"/>`,
    );
  }
  parts.push(`<path d="${facePath}" fill="${css(id.skin)}"/>`);
  // Hair over the forehead.
  if (id.hairStyle === 3) {
    parts.push(`<path d="M${f(cx - rx)},${f(cy - ry * 0.45)} Q${f(cx)},${f(cy - ry * 1.35)} ${f(cx + rx)},${f(cy - ry * 0.45)} L${f(cx + rx * 0.9)},${f(cy - ry * 0.38)} Q${f(cx)},${f(cy - ry * 0.6)} ${f(cx - rx * 0.9)},${f(cy - ry * 0.38)}Z" fill="${css(id.hair)}"/>`);
  } else if (id.hairStyle !== 2) {
    parts.push(`<path d="M${f(cx - rx)},${f(cy - ry * 0.5)} Q${f(cx)},${f(cy - ry * 1.3)} ${f(cx + rx)},${f(cy - ry * 0.5)} Q${f(cx)},${f(cy - ry * 0.85)} ${f(cx - rx)},${f(cy - ry * 0.5)}Z" fill="${css(id.hair)}"/>`);
  }
  // Brows and eyes.
  for (const side of [-1, 1]) {
    const ex = cx + side * eyeDx + shift;
    const by = eyeY - eyeR * 1.8;
    const slope = id.browSlope * rx * side;
    parts.push(
      `<line x1="${f(ex - eyeR * 1.3)}" y1="${f(by + slope * 0.3)}" x2="${f(ex + eyeR * 1.3)}" y2="${f(by - slope * 0.3)}" stroke="${css(id.hair, 0.8)}" stroke-width="${f(id.browThickness * ry)}" stroke-linecap="round"/>`,
    );
    parts.push(`<ellipse cx="${f(ex)}" cy="${f(eyeY)}" rx="${f(eyeR * 1.2)}" ry="${f(eyeR * 0.75 * nz.eyeOpen)}" fill="rgb(245,245,245)"/>`);
    parts.push(`<circle cx="${f(ex + shift * 0.15)}" cy="${f(eyeY)}" r="${f(eyeR * 0.55 * Math.max(nz.eyeOpen, 0.5))}" fill="${css(id.iris)}"/>`);
    parts.push(`<circle cx="${f(ex + shift * 0.15)}" cy="${f(eyeY)}" r="${f(eyeR * 0.25)}" fill="rgb(10,10,10)"/>`);
  }
  // Nose.
  const noseTop = eyeY + eyeR * 0.5;
  const noseBottom = noseTop + id.noseLength * ry;
  const nx = cx + shift * 1.2;
  parts.push(
    `<path d="M${f(nx)},${f(noseTop)} L${f(nx - id.noseWidth * rx * 0.5)},${f(noseBottom)} L${f(nx + id.noseWidth * rx * 0.5)},${f(noseBottom)}" fill="none" stroke="${css(id.skin, 0.7)}" stroke-width="${f(S * 0.012)}" stroke-linejoin="round"/>`,
  );
  // Mouth: a quadratic curve bent by the expression.
  const my = cy + id.mouthHeight * ry;
  const mw = id.mouthWidth * rx;
  const bend = nz.smile * ry * 0.12;
  parts.push(
    `<path d="M${f(nx - mw / 2)},${f(my)} Q${f(nx)},${f(my + bend * 2)} ${f(nx + mw / 2)},${f(my)}" fill="none" stroke="${css(id.lips)}" stroke-width="${f(S * 0.02)}" stroke-linecap="round"/>`,
  );
  if (id.beard) {
    parts.push(
      `<path d="M${f(cx - rx * 0.85)},${f(cy + ry * 0.2)} Q${f(cx)},${f(cy + ry * 1.35)} ${f(cx + rx * 0.85)},${f(cy + ry * 0.2)} Q${f(cx)},${f(my + ry * 0.12)} ${f(cx - rx * 0.85)},${f(cy + ry * 0.2)}Z" fill="${css(id.hair)}" fill-opacity="0.85"/>`,
    );
  }
  if (id.mark) {
    parts.push(`<circle cx="${f(cx + id.mark.x * rx + shift)}" cy="${f(cy + id.mark.y * ry)}" r="${f(S * 0.012)}" fill="rgb(70,40,30)"/>`);
  }
  for (const o of nz.occluders) {
    const ox = cx + o.x * rx;
    const oy = cy + o.y * ry;
    if (o.kind === 'glasses') {
      for (const side of [-1, 1]) {
        parts.push(`<circle cx="${f(cx + side * eyeDx + shift)}" cy="${f(eyeY)}" r="${f(eyeR * 1.7)}" fill="${css(o.color, 0.3)}" fill-opacity="0.85"/>`);
      }
    } else if (o.kind === 'hand') {
      parts.push(`<ellipse cx="${f(ox)}" cy="${f(oy)}" rx="${f(o.w * rx * 0.6)}" ry="${f(o.h * ry)}" fill="${css(o.color)}"/>`);
    } else {
      parts.push(`<rect x="${f(ox - (o.w * rx))}" y="${f(oy - (o.h * ry) / 2)}" width="${f(o.w * rx * 2)}" height="${f(o.h * ry)}" fill="${css(o.color)}"/>`);
    }
  }

  const clutter = nz.clutter
    .map((c) => `<circle cx="${f(c.x * S)}" cy="${f(c.y * S)}" r="${f(c.r * S)}" fill="${css(c.color)}"/>`)
    .join('');
  const a = (nz.lightAngle * Math.PI) / 180;
  const gx = 0.5 + 0.5 * Math.cos(a);
  const gy = 0.5 + 0.5 * Math.sin(a);
  const light =
    `<defs><linearGradient id="l" x1="${f(gx)}" y1="${f(gy)}" x2="${f(1 - gx)}" y2="${f(1 - gy)}">` +
    `<stop offset="0" stop-color="white" stop-opacity="${f(nz.lightStrength * 0.6)}"/>` +
    `<stop offset="1" stop-color="black" stop-opacity="${f(nz.lightStrength * 0.8)}"/></linearGradient></defs>` +
    `<rect width="${S}" height="${S}" fill="url(#l)"/>`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${S}" height="${S}" viewBox="0 0 ${S} ${S}">` +
    `<rect width="${S}" height="${S}" fill="${css(nz.background)}"/>${clutter}` +
    `<g transform="rotate(${f(nz.roll)} ${f(cx)} ${f(cy)})">${parts.join('')}</g>${light}</svg>`;

  // The face box: bounds of the rotated outline, clipped to the image.
  const c = Math.cos((nz.roll * Math.PI) / 180);
  const s = Math.sin((nz.roll * Math.PI) / 180);
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const [x, y] of face) {
    const px = cx + x * c - y * s;
    const py = cy + x * s + y * c;
    x1 = Math.min(x1, px);
    y1 = Math.min(y1, py);
    x2 = Math.max(x2, px);
    y2 = Math.max(y2, py);
  }
  const clip = (v: number) => Math.max(0, Math.min(S, Math.round(v)));
  return { svg, box: { x1: clip(x1), y1: clip(y1), x2: clip(x2), y2: clip(y2) } };
}
