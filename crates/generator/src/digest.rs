//! 128-bit content digests: what the analysis memo and an incremental rebuild compare
//! to know that something is unchanged.

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// XXH3-128 of some bytes (seed 0): the same on every machine and every run, fast
/// enough to digest a whole site's output on each rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Digest(u128);

/// Streams bytes into a [`Digest`] (an `io::Write`, so serde can print into it without
/// the text being held).
#[derive(Clone, Default)]
pub struct Digester(Xxh3);

impl std::fmt::Debug for Digester {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Digester")
    }
}

impl Digester {
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Adds `value` as its JSON text. The model and view types serialise infallibly
    /// (plain data, string keys); one that did not would only make a digest differ, so
    /// the page it keys is rendered again.
    pub fn json(&mut self, value: &impl Serialize) {
        if serde_json::to_writer(&mut *self, value).is_err() {
            self.bytes(b"\xff unserialisable");
        }
        // A separator, so two values never read as one.
        self.bytes(b"\0");
    }

    /// Adds another digest.
    pub fn digest(&mut self, d: Digest) {
        self.bytes(&d.0.to_le_bytes());
    }

    pub fn finish(&self) -> Digest {
        Digest(self.0.digest128())
    }
}

impl std::io::Write for Digester {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Digest {
    pub fn of_bytes(bytes: &[u8]) -> Digest {
        Digest(xxhash_rust::xxh3::xxh3_128(bytes))
    }

    pub fn of_json(value: &impl Serialize) -> Digest {
        let mut d = Digester::default();
        d.json(value);
        d.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_is_the_same_as_one_piece() {
        let mut d = Digester::default();
        d.bytes(b"foo");
        d.bytes(&[b'b'; 300]);
        let mut whole = b"foo".to_vec();
        whole.extend([b'b'; 300]);
        assert_eq!(d.finish(), Digest::of_bytes(&whole));
        assert_ne!(Digest::of_json(&"a"), Digest::of_json(&"b"));
        // XXH3-128 of the empty input (the reference implementation's value).
        assert_eq!(
            Digest::of_bytes(b"").0,
            0x99aa_06d3_0147_98d8_6001_c324_468d_497f
        );
    }
}
