//! The VMO static site generator.
