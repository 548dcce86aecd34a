//! Prioritisation scores: WSJF, RICE, weighted scoring.
