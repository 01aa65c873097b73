//! Load, parse, validate and resolve a site in the Stackbit / Netlify Create content model.
#![warn(missing_docs)]

pub mod json;
pub mod tree;
pub mod yaml;
