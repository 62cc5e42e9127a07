// Generates ecmascript_numbers.txt: "<IEEE 754 bits in hex> <String(x) in ECMAScript>" for 1000
// finite doubles drawn from a fixed pseudo-random sequence (all exponents, moderate exponents,
// and short decimals). Run with: node ecmascript_numbers.js > ecmascript_numbers.txt
let state = 12345n;
const mask64 = (1n << 64n) - 1n;
function next64() {
  state = (state * 6364136223846793005n + 1442695040888963407n) & mask64;
  return state;
}
const view = new DataView(new ArrayBuffer(8));
const lines = [];
for (let i = 0; lines.length < 1000; i++) {
  let bits = next64();
  if (i % 4 === 1) {
    const exponent = BigInt(1023 + Number(next64() % 140n) - 70);
    bits = (bits & ((1n << 52n) - 1n)) | (exponent << 52n) | ((next64() & 1n) << 63n);
  } else if (i % 4 === 2) {
    view.setFloat64(0, Number(next64() % 100000000n) / [1, 10, 100, 1000, 1e6, 1e9][i % 6]);
    bits = view.getBigUint64(0);
  }
  view.setBigUint64(0, bits);
  const x = view.getFloat64(0);
  if (Number.isFinite(x)) lines.push(bits.toString(16).padStart(16, '0') + ' ' + String(x));
}
console.log(lines.join('\n'));
