// Unit tests sit beside the modules they test (src/**/X.test.ts). Browser-only modules are
// exercised for real in the Playwright suites under tests/; jest is for pure logic and fakes.
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/src"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { tsconfig: { module: "commonjs", target: "ES2022", esModuleInterop: true, isolatedModules: true } }],
  },
  moduleNameMapper: { "^(\\.{1,2}/.*)/assets$": "<rootDir>/src/__mocks__/assets.ts" },
};
