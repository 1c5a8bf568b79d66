package dev.dopq.server.rmi;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.rmi.Remote;

/**
 * Stands in for a deserialization gadget: a class outside every allow-list whose {@code readObject} has a side
 * effect (it raises {@link #deserialized}). It is on the server's class path, so only a filter keeps it out.
 */
public final class Gadget implements Serializable, InvocationHandler {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Raised when any instance is deserialized, on either side of a call. */
    public static volatile boolean deserialized;

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        deserialized = true;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        return null;
    }

    /** A remote-looking proxy whose handler is a gadget, as a hostile {@code registry.bind} would send. */
    public static Remote asRemoteProxy() {
        return (Remote) Proxy.newProxyInstance(Gadget.class.getClassLoader(), new Class<?>[]{Remote.class},
                new Gadget());
    }
}
