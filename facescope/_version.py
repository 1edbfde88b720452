# Kept equal to package.json's "version": the front end loads its app bundle with this version.
__version__ = "0.1.0"
