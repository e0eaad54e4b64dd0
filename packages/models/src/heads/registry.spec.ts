import { createHead, listHeads } from './registry';

describe('head registry', () => {
  const dims = { numClasses: 3, embeddingDim: 4 };

  it('lists every head of the issue', () => {
    expect(listHeads().sort()).toEqual(
      ['AngularMargin', 'CombinedMargin', 'CosFace', 'GroupAware', 'SoftmaxCenter', 'SubCenterArcFace'].sort(),
    );
  });

  it('rejects an unknown head, naming it and the known ones', () => {
    expect(() => createHead('ArcFacee', {}, dims)).toThrow(/unknown head 'ArcFacee'.*AngularMargin/);
  });

  it('rejects an unknown or non-numeric parameter, naming it', () => {
    expect(() => createHead('AngularMargin', { margn: 0.5 }, dims)).toThrow(/AngularMargin: unknown parameter 'margn'/);
    expect(() => createHead('CosFace', { scale: '64' }, dims)).toThrow(/CosFace: parameter 'scale'/);
  });

  it('rejects bad dims', () => {
    expect(() => createHead('CosFace', {}, { numClasses: 0, embeddingDim: 4 })).toThrow(/numClasses/);
  });

  it('refuses a second live head of the same name, and allows it after dispose()', () => {
    const a = createHead('CosFace', {}, dims);
    expect(() => createHead('CosFace', {}, dims)).toThrow(/already exists.*dispose/);
    a.dispose();
    createHead('CosFace', {}, dims).dispose();
  });
});
