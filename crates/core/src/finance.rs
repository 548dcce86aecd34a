//! Money maths: discounting, NPV, IRR, ROI, payback, benefit-cost ratio.
