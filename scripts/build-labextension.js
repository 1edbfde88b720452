// Builds the prebuilt JupyterLab extension with @jupyterlab/builder. The builder needs the
// core JupyterLab package data ("staging"), which comes with the jupyterlab Python package.
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const python = process.env.PYTHON || path.join(root, ".venv", "bin", "python");
const corePath = execFileSync(python, ["-c",
  "import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), 'staging'))"],
{ encoding: "utf8" }).trim();
const builder = require.resolve("@jupyterlab/builder/lib/build-labextension.js");
execFileSync(process.execPath, [builder, "--core-path", corePath, root], { stdio: "inherit", cwd: root });
