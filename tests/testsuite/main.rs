//! folio's integration tests: one binary, a module per feature, each driving the real `folio`
//! binary on small fixture sites under `tests/testsuite/fixtures/`.

mod support;

mod build;
mod categories;
mod cdn;
mod check;
mod editing;
mod generic;
mod hostile;
mod images;
mod incremental;
mod links;
mod outputs;
mod real_sites;
mod reliability;
mod resolve;
mod robustness;
mod scaffold;
mod serve;
mod serve_http;
mod site_types;
mod theme;
