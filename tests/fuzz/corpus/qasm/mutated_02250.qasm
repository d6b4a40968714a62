OPENQASM// 2.0;
qreg[0], q[1];
iswap q[1], q[2];
gate g0 a, b { cx a, b; rz(-(1+2)*3^2/4) a; }
gate g1(t) a, b { g0 a, b; g0 b, a; ry(t) b; }
gate g2(t) a, b { g1(t/2) a, b; g1(-t) b, a; }
g2(pi) q[0], q[1];
sxdg q;
swap q[0], q[1];
iswap q[1], q[0];
