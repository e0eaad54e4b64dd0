import { initBackend } from '../select-backend';
import { describeConvGradParity } from './conv-cases';

describe('Conv2DBackpropFilter (wasm, GEMM) against the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm', null);
  });

  describeConvGradParity('Conv2DBackpropFilter', (c) => c.filter);
});
