OPENQASM 2.0;
include "qelib1.inc";
qreg 
creg c[2];
gate mygate(theta, phi) x, y { rz(theta/2) x; cx x, y; u3(phi, -theta, pia;
u2(0, pi) b[0];
u1(-pi/4 + 2*0.125) a[1];
cu1(sqrt(2)/2) a[0], b[1];
cu3(0.1, 0.2, 0.3) b[0], a[1];
crz(exp(0.5)) a[1], b[0];
ccx a[0], a[1], b[1];
mygate(sin(pi/6), ln(2)) b[1], a[0];
c' a, b;
rxx(cos(0.3)^2) a[0], b[1];
barrier a, b;
cu(0.4, 0.5, 0.6, 0.7) a[1], b[1];
cswap a[0], a[1], b[0];
c3x a[0],if (c==3)  a[1], b[0], b[1];
