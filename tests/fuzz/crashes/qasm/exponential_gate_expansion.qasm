OPENQASM 2.0;
qreg q[2];
gate g0 a, b { cx a, b; }
gate g1 a, b { g0 a, b; g0 b, a; g0 a, b; g0 b, a; }
gate g2 a, b { g1 a, b; g1 b, a; g1 a, b; g1 b, a; }
gate g3 a, b { g2 a, b; g2 b, a; g2 a, b; g2 b, a; }
gate g4 a, b { g3 a, b; g3 b, a; g3 a, b; g3 b, a; }
gate g5 a, b { g4 a, b; g4 b, a; g4 a, b; g4 b, a; }
gate g6 a, b { g5 a, b; g5 b, a; g5 a, b; g5 b, a; }
gate g7 a, b { g6 a, b; g6 b, a; g6 a, b; g6 b, a; }
gate g8 a, b { g7 a, b; g7 b, a; g7 a, b; g7 b, a; }
gate g9 a, b { g8 a, b; g8 b, a; g8 a, b; g8 b, a; }
gate g10 a, b { g9 a, b; g9 b, a; g9 a, b; g9 b, a; }
gate g11 a, b { g10 a, b; g10 b, a; g10 a, b; g10 b, a; }
gate g12 a, b { g11 a, b; g11 b, a; g11 a, b; g11 b, a; }
g12 q[0], q[1];
